"""客服: reply rates against targets and the quick-reply library."""
