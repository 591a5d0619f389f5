"""营销: coupons, 限时限量购, activity registrations and campaign results."""
