//! Rebuilds the crate when a file of the embedded standard library is added,
//! changed or removed (`include_dir!` alone does not see new files).

fn main() {
    println!("cargo:rerun-if-changed=stdlib-rules");
}
