//! Word expansion (BuildKit shell lexer): being written.
