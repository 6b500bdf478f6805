import GRDB

/// The schema of the Baken database, as an ordered list of named migrations.
///
/// Migrations are append-only: once a migration has shipped, never edit it; register a new one.
/// Dates are stored as REAL seconds since 1970 (`datetime(created_at, 'unixepoch', 'subsec')`
/// reads them in SQL).
enum Migrations {
    /// The migrator that brings any Baken database up to date.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1-conversations") { db in
            try db.create(table: "conversation") { t in
                t.primaryKey("id", .text)
                t.column("session_hash", .text).notNull().unique()
                t.column("language", .text).notNull()
                t.column("location", .text)
                t.column("phase", .text).notNull().indexed()
                t.column("outcome", .text)
                t.column("last_seq", .integer).notNull()
                t.column("misses", .integer).notNull()
                t.column("last_intent", .text)
                t.column("offered", .text).notNull()  // JSON array of option ids
                t.column("answered", .boolean).notNull()
                t.column("handed_off", .boolean).notNull()
                t.column("referred", .boolean).notNull()
                t.column("created_at", .double).notNull()
                t.column("updated_at", .double).notNull()
            }
        }

        // Foreign keys are deferred: they are checked when the batch commits, so the writes
        // of a batch may come in any order (a message before its new conversation).
        migrator.registerMigration("v2-messages") { db in
            try db.create(table: "message") { t in
                t.column("conversation_id", .text).notNull()
                    .references("conversation", onDelete: .cascade, deferred: true)
                t.column("seq", .integer).notNull()
                t.column("type", .text).notNull()
                t.column("role", .text).notNull()
                t.column("text", .text).notNull()
                t.column("client_id", .text)
                t.column("payload", .text).notNull()
                t.column("created_at", .double).notNull()
                t.primaryKey(["conversation_id", "seq"])
            }
            try db.create(
                index: "message_on_conversation_id_client_id",
                on: "message",
                columns: ["conversation_id", "client_id"],
                unique: true,
                condition: Column("client_id") != nil)
        }

        migrator.registerMigration("v3-unanswered") { db in
            try db.create(table: "unanswered") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("conversation_id", .text).notNull().indexed()
                    .references("conversation", onDelete: .cascade, deferred: true)
                t.column("seq", .integer).notNull()
                t.column("text", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("candidates", .text).notNull()
                t.column("created_at", .double).notNull()
                t.column("status", .text).notNull().defaults(to: "open")
            }
        }

        migrator.registerMigration("v4-feedback") { db in
            try db.create(table: "feedback") { t in
                t.column("conversation_id", .text).notNull()
                    .references("conversation", onDelete: .cascade, deferred: true)
                t.column("seq", .integer).notNull()
                t.column("helpful", .boolean).notNull()
                t.column("created_at", .double).notNull()
                t.primaryKey(["conversation_id", "seq"])
            }
        }

        migrator.registerMigration("v5-handoff") { db in
            try db.alter(table: "conversation") { t in
                t.add(column: "queued_at", .double)
                t.add(column: "staff", .text)
            }
            try db.create(table: "staff") { t in
                t.primaryKey("name", .text)
                t.column("role", .text).notNull()
                t.column("locations", .text).notNull()
                t.column("token_hash", .text).notNull().unique()
                t.column("revoked", .boolean).notNull().defaults(to: false)
                t.column("created_at", .double).notNull()
            }
            try db.create(table: "ticket") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("conversation_id", .text).notNull()
                    .references("conversation", onDelete: .cascade, deferred: true)
                t.column("name", .text).notNull()
                t.column("contact", .text).notNull()
                t.column("location", .text)
                t.column("topic", .text).notNull()
                t.column("status", .text).notNull().defaults(to: "open")
                t.column("created_at", .double).notNull()
            }
        }

        migrator.registerMigration("v6-referrals") { db in
            try db.create(table: "referral") { t in
                t.primaryKey("id", .text)
                t.column("conversation_id", .text).notNull()
                    .references("conversation", onDelete: .cascade, deferred: true)
                t.column("partner", .text).notNull()
                t.column("status", .text).notNull().indexed()
                t.column("fields", .text).notNull()
                t.column("requested_by", .text).notNull()
                t.column("created_at", .double).notNull()
                t.column("updated_at", .double).notNull()
            }
            try db.create(table: "outbox") { t in
                t.primaryKey("id", .text)
                t.column("referral_id", .text).notNull().references("referral", onDelete: .cascade, deferred: true)
                t.column("partner", .text).notNull()
                t.column("payload", .text).notNull()
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull()
                t.column("next_attempt_at", .double).notNull()
                t.column("last_error", .text)
                t.column("created_at", .double).notNull()
            }
            try db.create(index: "outbox_due", on: "outbox", columns: ["status", "next_attempt_at"])
            try db.create(table: "delivery_attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("event_id", .text).notNull().references("outbox", onDelete: .cascade, deferred: true).indexed()
                t.column("attempt", .integer).notNull()
                t.column("status_code", .integer)
                t.column("latency_ms", .integer).notNull()
                t.column("error", .text)
                t.column("at", .double).notNull()
            }
        }

        migrator.registerMigration("v7-report-index") { db in
            // `baken report` reads conversations by the day they started.
            try db.create(index: "conversation_on_created_at", on: "conversation", columns: ["created_at"])
        }

        migrator.registerMigration("v8-insight") { db in
            // The coordinators' figures: answered in the first reply, the wait for a person,
            // left the queue, fallbacks given. Conversations from before stay NULL / 0 and are
            // not counted in them.
            try db.alter(table: "conversation") { t in
                t.add(column: "first_answered", .boolean)
                t.add(column: "waited_seconds", .double)
                t.add(column: "left_queue", .boolean).notNull().defaults(to: false)
                t.add(column: "fallback_given", .boolean).notNull().defaults(to: false)
            }
        }

        return migrator
    }
}
