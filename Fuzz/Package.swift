// swift-tools-version: 6.1
// libFuzzer targets for Baken's input paths. Not part of the main build: these executables
// have no `main` of their own (libFuzzer supplies it), so they only link with
// `-sanitize=fuzzer`. Build and run them with `Fuzz/run.sh` (see docs/security.md).
import PackageDescription

let package = Package(
    name: "baken-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "baken", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        // A frame → the resident and staff decoders (FieldReader, ClientMessage, StaffCommand).
        .executableTarget(name: "FuzzProtocol", dependencies: [.product(name: "BakenDesk", package: "baken"), "FuzzSupport"]),
        // Bytes in random chunks → NIO's line decoder with the TCP transport's limit → LineFrame → decoder.
        .executableTarget(
            name: "FuzzLines",
            dependencies: [
                .product(name: "BakenDesk", package: "baken"), "FuzzSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
            ]),
        // A message → the normaliser, spelling corrector and engine over the shipped knowledge.
        .executableTarget(
            name: "FuzzText",
            dependencies: [.product(name: "BakenEngine", package: "baken"), .product(name: "BakenDesk", package: "baken"), "FuzzSupport"]),
        // A message → the privacy filter: no BSN or IBAN survives, masking twice changes nothing.
        .executableTarget(name: "FuzzPrivacy", dependencies: [.product(name: "BakenDesk", package: "baken"), "FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
