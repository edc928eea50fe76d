"""Reading the results: access patterns (indexes), query planning and paging, digest feeds. Pure."""
