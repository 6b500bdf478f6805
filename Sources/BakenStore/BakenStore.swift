// BakenStore
