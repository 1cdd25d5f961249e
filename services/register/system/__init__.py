"""The system's health for the IT administrator (състояние на системата): ``/admin/system``."""
