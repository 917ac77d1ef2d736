import SkyState

// Multi-process stress driver for SkyStateTests (filled in below as the store grows).
print("sky-state-stress")
