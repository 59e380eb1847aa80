//! End to end: generated code, committed beside these tests and kept fresh by `fresh`, compiled warning-free
//! (`compiled`), implemented and executed through the glue with exact expected JSON (`blog`, `lists`), and the
//! fast and reference executors compared on random operations (`equivalence`, over `blog`, `lists` and `checks`);
//! a module generated with `Config::dynamic_backend` served from a JSON backend (`dynamic`).

mod blog;
mod checks;
mod compiled;
mod data_first;
mod dynamic;
mod equivalence;
mod fresh;
mod lists;
