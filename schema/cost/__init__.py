"""Query cost and input bounds, computed from the document and variables before execution."""
