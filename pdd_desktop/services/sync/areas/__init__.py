"""One module per syncing area: its pull streams, push ops and platform APIs (see ``plugin``)."""
