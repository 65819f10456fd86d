"""What people see: the main window, the network diagram and the side panels (Qt)."""
