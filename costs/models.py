"""The cost ledger and task volumes: built in the costs issue."""
