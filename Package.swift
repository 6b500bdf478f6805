// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "baken",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "baken", targets: ["baken"]),
        // The load generator of the benchmarks (Tests/load/README.md).
        .executable(name: "baken-load", targets: ["baken-load"]),
        .library(name: "BakenEngine", targets: ["BakenEngine"]),
        // For the fuzz targets in Fuzz/ (a package of its own, built with -sanitize=fuzzer).
        .library(name: "BakenDesk", targets: ["BakenDesk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.4.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // Pure: text → intent → decision; knowledge loading and validation.
        .target(
            name: "BakenEngine",
            dependencies: [.product(name: "Yams", package: "Yams")]
        ),
        // The conversation domain: sessions, dialogue, handoff, referrals, storage protocols.
        .target(
            name: "BakenDesk",
            dependencies: [
                "BakenEngine",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // SQLite storage (GRDB).
        .target(
            name: "BakenStore",
            dependencies: [
                "BakenDesk",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // PostgreSQL storage (PostgresNIO), for several nodes on one database.
        .target(
            name: "BakenPostgres",
            dependencies: [
                "BakenDesk",
                "BakenStore",  // baken migrate reads the SQLite file
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Transports and I/O: HTTP, WebSocket, TCP lines, webhooks, metrics.
        .target(
            name: "BakenServer",
            dependencies: [
                "BakenDesk",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            // The web chat, the staff console and the widget (served by WebPages).
            resources: [.copy("Web")]
        ),
        // Test support shared by the test targets.
        .target(
            name: "BakenTesting",
            dependencies: [
                "BakenEngine",
                "BakenDesk",
                "BakenServer",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "baken",
            dependencies: [
                "BakenEngine",
                "BakenDesk",
                "BakenStore",
                "BakenPostgres",
                "BakenServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .executableTarget(
            name: "baken-load",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "BakenEngineTests", dependencies: ["BakenEngine", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "BakenDeskTests", dependencies: ["BakenDesk", "BakenTesting"]),
        .testTarget(name: "BakenStoreTests", dependencies: ["BakenStore", "BakenPostgres", "BakenTesting"]),
        .testTarget(
            name: "BakenServerTests",
            dependencies: [
                "BakenServer", "BakenStore", "BakenTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
