"""What every blueprint shares: error pages, headers, pagination, the loaded content."""
