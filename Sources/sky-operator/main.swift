print("sky-operator")
