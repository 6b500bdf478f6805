// BakenDesk
