print("skylet")
