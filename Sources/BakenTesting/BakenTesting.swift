// BakenTesting
