// BakenServer
