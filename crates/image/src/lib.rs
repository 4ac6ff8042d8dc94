//! Layered filesystem and image model (see ARCHITECTURE.md).
