"""Schema version 3: invoice requests (订单开票). Frozen: never edit; add a new step instead.

- ``invoice_request``: at most one per order (unique ``order_id``), the buyer's title and tax
  number, the invoiced amount in fen, and the status requested → issued → uploaded with the
  local invoice number and PDF path. ``invoice_no`` is unique (NULL until issued).
- ``(status, requested_at)`` serves the list of requests by status, oldest first.
"""

#: DDL, in order.
STATEMENTS: tuple[str, ...] = (
    'CREATE TABLE "invoice_request" ("id" INTEGER NOT NULL PRIMARY KEY, "order_id" INTEGER NOT NULL, "buyer_type" VARCHAR(8) NOT NULL CHECK (buyer_type IN (\'personal\', \'company\')), "title" VARCHAR(255) NOT NULL, "tax_no" VARCHAR(20) NOT NULL, "email" VARCHAR(255) NOT NULL, "phone" VARCHAR(255) NOT NULL, "amount_fen" INTEGER NOT NULL CHECK (amount_fen > 0), "status" VARCHAR(10) NOT NULL CHECK (status IN (\'requested\', \'issued\', \'uploaded\')), "invoice_no" VARCHAR(255), "pdf_path" TEXT NOT NULL, "requested_at" INTEGER NOT NULL, "issued_at" INTEGER, "uploaded_at" INTEGER, "note" TEXT NOT NULL, FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE CASCADE)',
    'CREATE UNIQUE INDEX "invoice_request_order_id" ON "invoice_request" ("order_id")',
    'CREATE UNIQUE INDEX "invoice_request_invoice_no" ON "invoice_request" ("invoice_no")',
    'CREATE INDEX "invoice_request_status_requested_at" ON "invoice_request" ("status", "requested_at")',
)
