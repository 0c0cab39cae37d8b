"""`pagemgr add`: new collection items from flags, prompts, BibTeX, Crossref and arXiv."""
