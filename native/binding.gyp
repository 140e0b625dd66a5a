{
  "targets": [
    {
      "target_name": "mpsh",
      "sources": [
        "src/addon.cc",
        "src/errors.cc",
        "src/eal.cc",
        "src/process.cc",
        "src/lcore_claim.cc",
        "src/stdio.cc",
        "src/ring.cc",
        "src/mempool.cc",
        "src/memzone.cc",
        "src/message_channel.cc",
        "src/ports.cc",
        "src/lcore_runner.cc",
        "src/symmetric.cc",
        "src/stats.cc",
        "src/cs_server.cc",
        "src/cs_client.cc",
        "src/idle_policy.cc",
        "src/tap_queues.cc",
        "src/hotplug.cc",
        "src/telemetry.cc",
        "src/capture.cc"
      ],
      "include_dirs": ["<!@(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "ALLOW_EXPERIMENTAL_API"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
      "cflags": ["<!@(pkg-config --cflags libdpdk)"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "<!@(pkg-config --cflags libdpdk)"],
      "libraries": ["<!@(pkg-config --libs libdpdk)"]
    }
  ]
}
