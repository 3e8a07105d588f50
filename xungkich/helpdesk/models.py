"""Models of the helpdesk app."""
