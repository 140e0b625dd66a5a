{
  "targets": [
    {
      "target_name": "mpsh",
      "sources": [
        "src/addon.cc",
        "src/js/errors.cc",
        "src/eal/eal.cc",
        "src/eal/lcore_claim.cc",
        "src/eal/lcore_runner.cc",
        "src/eal/process.cc",
        "src/eal/stdio.cc",
        "src/objects/objects.cc",
        "src/eal/primary_watch.cc",
        "src/objects/ring.cc",
        "src/objects/mempool.cc",
        "src/objects/memzone.cc",
        "src/ports/ports.cc",
        "src/ports/port_setup.cc",
        "src/ports/hotplug.cc",
        "src/ports/port_state.cc",
        "src/layouts/layout_exports.cc",
        "src/idle/idle_policy.cc",
        "src/idle/wake_word.cc",
        "src/idle/tap_queues.cc",
        "src/loops/message_channel.cc",
        "src/loops/symmetric.cc",
        "src/loops/cs_server.cc",
        "src/loops/cs_client.cc",
        "src/observe/capture.cc",
        "src/observe/capture_file.cc",
        "src/observe/telemetry.cc",
        "src/observe/ethdev_stats.cc",
        "src/observe/walks.cc",
        "src/observe/telemetry_objects.cc"
      ],
      "include_dirs": ["src", "<!@(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "ALLOW_EXPERIMENTAL_API"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++1y"],
      "cflags": ["<!@(pkg-config --cflags libdpdk)"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O3", "<!@(pkg-config --cflags libdpdk)"],
      "libraries": ["<!@(pkg-config --libs libdpdk)"]
    }
  ]
}
