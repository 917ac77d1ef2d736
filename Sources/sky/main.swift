print("sky")
