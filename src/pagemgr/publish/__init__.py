"""Getting a site's changes to GitHub Pages: git, commits, pushes, the hook and the workflow.

Owns: `git` (the git layer: GitPython's `Repo` for state, its command wrapper for porcelain
commands; the only module that imports GitPython), `transaction` (what to commit, commit
exactly that, push, classify the answer), `commit_message`, `hook_config` (the pre-commit
entry pagemgr writes), `workflow` (the GitHub Actions workflow pagemgr writes) and
`provenance` (where this pagemgr was installed from, to pin it in both).

May import: `pagemgr.site`, `pagemgr.yaml`, `pagemgr.errors`. Returns results as data; never
prints. `pagemgr check` and the hook never import it.
"""
