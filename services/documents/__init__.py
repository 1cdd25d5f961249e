"""documents — the school's Word documents (документи): orders, letters, certificates, lists."""
