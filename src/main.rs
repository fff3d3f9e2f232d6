fn main() {
    match spotcheck::content::Dialogues::load_configured() {
        Ok((_, report)) => println!("{report}"),
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
