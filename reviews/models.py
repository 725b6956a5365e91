"""Weekly review samples and the error log: built in the reviews issue."""
