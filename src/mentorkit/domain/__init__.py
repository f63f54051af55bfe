"""The domain: one module per noun of the command line; plain functions over the model that
take `today` and do no I/O."""
