"""The demo region: its content, its accounts, `load_demo` and `ensure_admin`.

The top floor: it may import every app, and nothing imports it.
"""
