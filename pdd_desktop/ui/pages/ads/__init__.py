"""推广: ROI of imported ad reports per plan, goods and day, against each goods' 保本 ROI."""
