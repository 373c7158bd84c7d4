"""One module per source: NAV's job feed, SSB population, the Udir registers and
Enhetsregisteret. Further job sources (Jobbnorge, Webcruiter, EasyCruit) are adapters of
the same interface, writing into `Vacancy` with their own `source` name."""
