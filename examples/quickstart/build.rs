//! Generates the Rust module of Healthmov's schema into `$OUT_DIR` (`healthmov_user_management.rs`). A schema
//! problem fails the build with each problem's file, line and column.

fn main() -> Result<(), generator::Error> {
    generator::compile(&["../../schemas/healthmov_user_management.graphql"])
}
