import sys

from photosearch.main import main

sys.exit(main())
