/// One column value as SQLite holds it, for copying rows between stores (`baken migrate`).
public enum StoredValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
}
