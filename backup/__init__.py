"""The whole content as one JSON file and back (`export_content`, `import_content`).

For moving a site between machines and databases, and as a second, engine-independent
backup; the nightly backup is pg_dump and a bucket sync (docs/deployment.md). It reads the
tables through Django's app registry, so it imports no project app and sits on the top
floor, beside the demo.
"""
