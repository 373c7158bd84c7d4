"""The import pipeline: open data (job vacancies, school and kindergarten registers,
workplaces, population) brought into the site through one interface per source.

`base` defines the interface (fetch, parse, validate, upsert), `http` the one HTTP client
every adapter uses, `pipeline` runs a source in its own transaction and logs the run,
`adapters/` holds one module per source, and `recorded` serves the recorded payloads on
loopback for the tests and the offline demo. `choosers` lets the page editor's blocks pick
register units and workplaces, `figures` counts workplaces and employees per sector, and
`pages` keeps the pages that show imported data in step after a sync.
"""
