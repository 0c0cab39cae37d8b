"""The speed machinery of a check run, behind two interfaces: `reading.Reading` and `ahead`.

Owns: `reading` (the interface: each file with its result, from the cache or checked), `ahead`
(the other interface: one value worked out in a child while the run goes on; the template
facts), `cache` (per-file results kept between runs), `parallel` (checking on every core
through forked children), `forking` (starting such a child) and `stat_ahead` (stat-ing many
files in a child while the cache loads).

May import: the rest of `pagemgr.check` below `pipeline` (the checker, schemas, results, the
index's record encoding), `pagemgr.site`; `ahead` imports nothing of pagemgr's but `forking`.
Nothing outside `engine/` imports anything here but `reading` and `ahead`.
"""
