from mentorkit.cli import main

main()
