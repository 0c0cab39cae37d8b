"""Reading YAML as Jekyll reads it: Psych's YAML 1.1 scalar rules, positions for every value.

Owns: `yamlio` (the facade every other package calls), `model` (its vocabulary: results,
positions, errors, limits), `quickyaml` (the fast path for flat front matter), `libyaml` (the
full parser, the only module that configures ruamel.yaml), `psych` (Psych's scalar rules) and
`pitfalls` (YAML that parses but does not mean what its author meant).

May import: `pagemgr.errors` only. Knows nothing of sites, files or rules.
"""
