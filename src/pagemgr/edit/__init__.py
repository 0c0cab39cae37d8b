"""Changing a site's files losslessly: only the edited value's characters change.

Owns: `editpath` (the PATH syntax), `render` (YAML text for a value, parsed back to be sure),
`splice` and `jsonedit` (replacing, inserting and removing exact spans of YAML and JSON),
`atomic` (writes that leave the old or the new bytes, never half), `editing` (the pipeline of
set/unset/append/remove/fix, with its gate: an edit that adds an error is refused) and `fixes`
(the mechanical fixes of `pagemgr fix`).

May import: `pagemgr.check` (the gate), `pagemgr.site`, `pagemgr.yaml`, `pagemgr.errors`.
"""
