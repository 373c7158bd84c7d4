"""The partner API, `/api/v1/`: our own stable, typed contract over the published pages
and the read model of entries.

`router` builds the API; `schemas` holds its types (one per block, page and entry kind);
`represent` turns pages and entries into those types; `http` does what HTTP asks of every
answer (validators and 304s, caching, CORS, problem details); one module per resource group
(`region`, `municipalities`, `entries`, `pages`, `changes`). Only live, public pages and the
entries they publish are ever read: drafts, revisions and private pages never are.
"""
