#!/bin/sh
echo "forkcheck: coverage reports are not available in the offline workspace (remote_coverage_tools is a stub)" >&2
exit 1
