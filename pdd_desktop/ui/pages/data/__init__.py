"""数据: 经营概况, 商品分析 and 客户分析 dashboards (pyqtgraph) over the sales aggregates."""
