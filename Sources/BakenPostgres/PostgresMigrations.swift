import Logging
import PostgresNIO

/// The schema of a Baken database on PostgreSQL, as an ordered list of named migrations.
///
/// Append-only, like the SQLite store's: once a migration has shipped, never edit it; add one.
/// The tables and columns are the SQLite store's, so `baken migrate` copies rows as they are.
/// Dates are `double precision` seconds since 1970, as in SQLite (`to_timestamp(created_at)`
/// reads them as timestamps); JSON values and replayed lines are `text`, kept byte for byte.
/// Foreign keys are deferred to the commit, so the writes of a batch may come in any order.
enum PostgresMigrations {
    struct Migration {
        let name: String
        let statements: [String]
    }

    /// A fixed key for `pg_advisory_xact_lock`: nodes that start together migrate one at a time.
    static let lockKey = 0x6261_6b65_6e  // "baken"

    /// Baken's tables, in an order where every row's references come first.
    static let tables = ["conversation", "message", "unanswered", "feedback", "staff", "ticket", "referral", "outbox", "delivery_attempt"]

    static let all: [Migration] = [
        Migration(
            name: "v1-schema",
            statements: [
                """
                CREATE TABLE conversation (
                    id text PRIMARY KEY,
                    session_hash text NOT NULL UNIQUE,
                    language text NOT NULL,
                    location text,
                    phase text NOT NULL,
                    outcome text,
                    last_seq bigint NOT NULL,
                    misses bigint NOT NULL,
                    last_intent text,
                    offered text NOT NULL,
                    answered boolean NOT NULL,
                    handed_off boolean NOT NULL,
                    referred boolean NOT NULL,
                    created_at double precision NOT NULL,
                    updated_at double precision NOT NULL,
                    queued_at double precision,
                    staff text,
                    first_answered boolean,
                    waited_seconds double precision,
                    left_queue boolean NOT NULL DEFAULT false,
                    fallback_given boolean NOT NULL DEFAULT false
                )
                """,
                "CREATE INDEX conversation_on_phase ON conversation (phase)",
                "CREATE INDEX conversation_on_created_at ON conversation (created_at)",
                """
                CREATE TABLE message (
                    conversation_id text NOT NULL REFERENCES conversation (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    seq bigint NOT NULL,
                    type text NOT NULL,
                    role text NOT NULL,
                    text text NOT NULL,
                    client_id text,
                    payload text NOT NULL,
                    created_at double precision NOT NULL,
                    PRIMARY KEY (conversation_id, seq)
                )
                """,
                "CREATE UNIQUE INDEX message_on_conversation_id_client_id ON message (conversation_id, client_id) WHERE client_id IS NOT NULL",
                """
                CREATE TABLE unanswered (
                    id bigserial PRIMARY KEY,
                    conversation_id text NOT NULL REFERENCES conversation (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    seq bigint NOT NULL,
                    text text NOT NULL,
                    reason text NOT NULL,
                    candidates text NOT NULL,
                    created_at double precision NOT NULL,
                    status text NOT NULL DEFAULT 'open'
                )
                """,
                "CREATE INDEX unanswered_on_conversation_id ON unanswered (conversation_id)",
                """
                CREATE TABLE feedback (
                    conversation_id text NOT NULL REFERENCES conversation (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    seq bigint NOT NULL,
                    helpful boolean NOT NULL,
                    created_at double precision NOT NULL,
                    PRIMARY KEY (conversation_id, seq)
                )
                """,
                """
                CREATE TABLE staff (
                    name text PRIMARY KEY,
                    role text NOT NULL,
                    locations text NOT NULL,
                    token_hash text NOT NULL UNIQUE,
                    revoked boolean NOT NULL DEFAULT false,
                    created_at double precision NOT NULL
                )
                """,
                """
                CREATE TABLE ticket (
                    id bigserial PRIMARY KEY,
                    conversation_id text NOT NULL REFERENCES conversation (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    name text NOT NULL,
                    contact text NOT NULL,
                    location text,
                    topic text NOT NULL,
                    status text NOT NULL DEFAULT 'open',
                    created_at double precision NOT NULL
                )
                """,
                """
                CREATE TABLE referral (
                    id text PRIMARY KEY,
                    conversation_id text NOT NULL REFERENCES conversation (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    partner text NOT NULL,
                    status text NOT NULL,
                    fields text NOT NULL,
                    requested_by text NOT NULL,
                    created_at double precision NOT NULL,
                    updated_at double precision NOT NULL
                )
                """,
                "CREATE INDEX referral_on_status ON referral (status)",
                """
                CREATE TABLE outbox (
                    id text PRIMARY KEY,
                    referral_id text NOT NULL REFERENCES referral (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    partner text NOT NULL,
                    payload text NOT NULL,
                    status text NOT NULL,
                    attempts bigint NOT NULL,
                    next_attempt_at double precision NOT NULL,
                    last_error text,
                    created_at double precision NOT NULL
                )
                """,
                "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
                """
                CREATE TABLE delivery_attempt (
                    id bigserial PRIMARY KEY,
                    event_id text NOT NULL REFERENCES outbox (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    attempt bigint NOT NULL,
                    status_code bigint,
                    latency_ms bigint NOT NULL,
                    error text,
                    at double precision NOT NULL
                )
                """,
                "CREATE INDEX delivery_attempt_on_event_id ON delivery_attempt (event_id)",
            ]),
        Migration(
            name: "v2-owner",
            statements: [
                // Which node holds a conversation: only its commits of the conversation succeed.
                """
                CREATE TABLE conversation_owner (
                    conversation_id text PRIMARY KEY REFERENCES conversation (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                    node text NOT NULL,
                    since double precision NOT NULL
                )
                """
            ]),
        Migration(
            name: "v3-desk-bus",
            statements: [
                // Mail between nodes (DeskBus): kept ten minutes, for a node that reconnects.
                """
                CREATE TABLE desk_mail (
                    id bigserial PRIMARY KEY,
                    origin text NOT NULL,
                    target text,
                    body text NOT NULL,
                    created_at double precision NOT NULL
                )
                """,
                "CREATE INDEX desk_mail_on_created_at ON desk_mail (created_at)",
                // Each node's heartbeat and who is signed in there.
                """
                CREATE TABLE node_presence (
                    node text PRIMARY KEY,
                    staff text NOT NULL,
                    seen_at double precision NOT NULL
                )
                """,
            ]),
    ]

    /// Applies every migration not yet applied, all in one transaction (PostgreSQL's DDL is
    /// transactional: a failed migration leaves nothing half made), under an advisory lock.
    /// Returns the names applied now.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [String] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS baken_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                logger: logger)
            var done: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM baken_migration", logger: logger).decode(String.self) {
                done.insert(name)
            }
            var applied: [String] = []
            for migration in all where !done.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO baken_migration (name) VALUES (\(migration.name))", logger: logger)
                applied.append(migration.name)
            }
            return applied
        }
    }
}
