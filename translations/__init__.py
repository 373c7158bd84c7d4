"""The translation pipeline from Norwegian (the source) to English and other languages.

wagtail-localize does the mechanics; this app adds what officers and readers need around
it: the status of every page's translations (`status`), machine translation with DeepL
(`deepl`, `machine`, `tasks`), PO files that are refused when they do not fit (`po`),
keeping manual work when a synced translation is restarted (`preserve`), and the record of
which parts of a published translation are still Norwegian (`coverage`).
"""
