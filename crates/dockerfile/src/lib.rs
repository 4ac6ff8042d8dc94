//! Dockerfile front end (see ARCHITECTURE.md).
