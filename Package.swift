// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "mailbox-onboard",
    // InlineArray (row values) needs the Swift 6.2 runtime: macOS 26 on Apple platforms.
    platforms: [.macOS(.v26)],
    products: [
        .executable(name: "mailbox-onboard", targets: ["mailbox-onboard"]),
        .library(name: "OnboardInput", targets: ["OnboardInput"]),
        .library(name: "OnboardSheets", targets: ["OnboardSheets"]),
        .library(name: "MailboxOnboard", targets: ["MailboxOnboard"]),
        .library(name: "LemlistEmulator", targets: ["LemlistEmulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libxml2's SAX parser, which Foundation's XMLParser wraps: called directly, a sheet parses four times faster.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // c-ares, Debian's asynchronous DNS resolver, for the domain checks of `check`.
        .systemLibrary(
            name: "CAres",
            providers: [.apt(["libc-ares-dev"])]
        ),
        // Floor 1: the vocabulary, the readers and validation. No SQLite and no NIO, so the fuzzer builds it alone.
        .target(name: "OnboardInput"),
        // Also floor 1: workbooks (.xlsx, .ods) read as rows, streamed out of their zip into libxml2's parser.
        .target(
            name: "OnboardSheets",
            dependencies: ["OnboardInput", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(
            name: "MailboxOnboard",
            dependencies: [
                "OnboardInput",
                "OnboardSheets",
                "CSQLite",
                "CAres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "LemlistEmulator",
            dependencies: [
                "OnboardInput",
                "MailboxOnboard",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "mailbox-onboard",
            dependencies: [
                "OnboardInput",
                "MailboxOnboard",
                "LemlistEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "onboard-bench",
            dependencies: [
                "OnboardInput",
                "MailboxOnboard",
                "LemlistEmulator",
                // The mail servers the check benchmark logs in to, shared with the tests.
                "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                // The import benchmark writes its 100,000-row workbook with it.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // What every test target shares: temporary folders, sample rows, a virtual clock, a scripted transport, mail servers.
        .target(
            name: "TestSupport",
            dependencies: ["MailboxOnboard", "OnboardInput", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            exclude: ["MailServers/smtp-server.py", "MailServers/supervise.py", "MailServers/hostile-server.py", "DNSServer/delay-relay.py"]
        ),
        .testTarget(
            name: "OnboardInputTests",
            dependencies: [
                "OnboardInput",
                "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "OnboardSheetsTests",
            dependencies: [
                "OnboardInput",
                "OnboardSheets",
                "TestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MailboxOnboardTests",
            dependencies: [
                "OnboardInput",
                "MailboxOnboard",
                "LemlistEmulator",
                "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "LemlistEmulatorTests",
            dependencies: ["LemlistEmulator", "MailboxOnboard", "OnboardInput", "TestSupport"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["mailbox-onboard", "MailboxOnboard", "OnboardInput", "LemlistEmulator", "TestSupport"]
        ),
    ]
)
