"""The editors' side: roles, the approval workflow, safeguards in the admin and backups."""
