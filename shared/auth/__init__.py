"""Authentication and authorisation (вход и права): roles of the contract, tokens, sessions."""
