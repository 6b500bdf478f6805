extension Duration {
    /// The whole duration in nanoseconds, seconds included (overflows only past 292 years).
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
